from sqlmodel import Session, select

from app.core.security import hash_password, verify_password
from app.models import Order, OrderCreate, Product, ProductCreate, User, UserCreate


def create_user(*, session: Session, user_create: UserCreate) -> User:
    user = User(email=user_create.email, hashed_password=hash_password(user_create.password))
    session.add(user)
    session.commit()
    return user


def get_user_by_email(*, session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email)).first()


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    user = get_user_by_email(session=session, email=email)
    if user is None or not verify_password(password, user.hashed_password):
        return None
    return user


def create_product(*, session: Session, product_in: ProductCreate) -> Product:
    product = Product(title=product_in.title)
    session.add(product)
    session.commit()
    return product


def place_order(*, session: Session, order_in: OrderCreate, buyer: User) -> Order:
    order = Order(product_id=order_in.product_id, buyer_id=buyer.id)
    session.add(order)
    session.commit()
    return order
